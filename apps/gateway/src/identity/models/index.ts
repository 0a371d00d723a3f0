import { AuditOutboxModel } from "@msp/resource-kit";
import { ApiKeyModel } from "./api-key.model";
import { RevokedTokenModel } from "./revoked-token.model";
import { UserModel } from "./user.model";

export { ApiKeyModel, RevokedTokenModel, UserModel };

/** Every model the identity part of the gateway registers with its database. */
export const identityModels = [UserModel, ApiKeyModel, RevokedTokenModel, AuditOutboxModel];
