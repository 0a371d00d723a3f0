import { mainOf } from "@msp/service-runtime";
import { workModule } from "./work-module";

mainOf(workModule);
