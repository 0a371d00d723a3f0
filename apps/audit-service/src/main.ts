import { mainOf } from "@msp/service-runtime";
import { auditModule } from "./audit-module";

mainOf(auditModule);
