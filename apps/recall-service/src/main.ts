import { mainOf } from "@msp/service-runtime";
import { recallModule } from "./recall-module";

mainOf(recallModule);
