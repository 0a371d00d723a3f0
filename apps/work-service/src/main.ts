import { mainOf } from "@msp/service-runtime";
import { workModule } from "./work-module";

mainOf(workModule, "WORK_SERVICE_PORT", 50051);
