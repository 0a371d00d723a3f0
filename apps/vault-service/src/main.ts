import { mainOf } from "@msp/service-runtime";
import { vaultModule } from "./vault-module";

mainOf(vaultModule);
