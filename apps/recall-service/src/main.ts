import { mainOf } from "@msp/service-runtime";
import { recallModule } from "./recall-module";

mainOf(recallModule, "RECALL_SERVICE_PORT", 50055);
