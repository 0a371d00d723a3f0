import { AuditOutboxModel } from "@msp/resource-kit";
import { ApiKeyModel } from "./api-key.model";
import { RefreshTokenModel } from "./refresh-token.model";
import { RevokedTokenModel } from "./revoked-token.model";
import { UserModel } from "./user.model";

export { ApiKeyModel, RefreshTokenModel, RevokedTokenModel, UserModel };

/** Every model the identity part of the gateway registers with its database. */
export const identityModels = [UserModel, ApiKeyModel, RevokedTokenModel, RefreshTokenModel, AuditOutboxModel];
