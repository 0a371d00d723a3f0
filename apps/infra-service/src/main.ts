import { mainOf } from "@msp/service-runtime";
import { infraModule } from "./infra-module";

mainOf(infraModule);
