import type { Principal } from "@msp/auth";
import { createTokenSigner } from "@msp/auth";
import { DomainError } from "@msp/errors";
import type { CallContext, Handlers } from "@msp/grpc-kit";
import { createResourceStore, standardMethods } from "@msp/resource-kit";
import type { ServiceModule } from "@msp/service-runtime";
import { noSettings } from "@msp/service-runtime";
import type { ApiKey } from "@msp/proto/src/gen/ts/msp/identity/v1/api_key";
import { ApiKeyServiceService } from "@msp/proto/src/gen/ts/msp/identity/v1/api_key";
import { AuthServiceService } from "@msp/proto/src/gen/ts/msp/identity/v1/auth";
import type { User } from "@msp/proto/src/gen/ts/msp/identity/v1/user";
import { UserServiceService } from "@msp/proto/src/gen/ts/msp/identity/v1/user";
import { apiKeyResource } from "./api-key.resource";
import { checkKeyOwner, createApiKey, revokeApiKey } from "./api-keys";
import type { AuthLogic } from "./auth-service";
import { createAuthLogic } from "./auth-service";
import type { IdentityConfig } from "./identity-config";
import { identityModels } from "./models";
import { checkPasswordRules, hashPassword } from "./passwords";
import { userResource } from "./user.resource";
import { setUserPassword } from "./user-passwords";

/** The authenticated caller; public methods (CreateToken, RefreshToken) have none. */
function caller(ctx: CallContext): Principal {
  if (!ctx.auth) throw new DomainError("unauthenticated", "a token is required");
  return ctx.auth;
}

/** The identity services, served by the gateway process over gRPC like any other service. */
export function identityModule(config: IdentityConfig, onReady?: (auth: AuthLogic) => void): ServiceModule<Record<string, never>> {
  return {
    name: "identity",
    models: identityModels,
    // Its settings come with the gateway's (IdentityConfig), parsed by the gateway's schema.
    config: noSettings,
    setUp(host, { db }) {
      const auth = createAuthLogic(db, createTokenSigner(config.jwtSecret), config);
      onReady?.(auth);
      const users = createResourceStore<User>(db, userResource);
      const keys = createResourceStore<ApiKey>(db, apiKeyResource);

      // After a write that can end tokens, caches of "this token is fine" must go (the gateway's).
      const ending = async <R>(write: Promise<R>): Promise<R> => {
        const result = await write;
        auth.identityChanged();
        return result;
      };

      const authHandlers: Handlers<typeof AuthServiceService> = {
        createToken: (request, ctx) =>
          request.apiKey !== "" ? auth.exchangeApiKey(request.apiKey, ctx) : auth.login(request.username, request.password, ctx),
        refreshToken: (request, ctx) => auth.refresh(request.refreshToken, ctx),
        revokeToken: async (request, ctx) => {
          await auth.revoke({ token: request.token, all: request.all, userId: request.userId }, caller(ctx), ctx);
          return {};
        },
        checkRevocation: async (request, ctx) => {
          // Services ask about the token of the call they are serving, with that same token: it is
          // held against its user's current state (revoked, user gone, disabled or demoted, sign-ins
          // ended, API key revoked). The gateway process's own check of this call already refuses
          // such a token naming why (local-revocation.ts); this answer does not rely on it.
          const me = caller(ctx);
          if (request.tokenId === me.tokenId) return { revoked: (await auth.tokenRefusal(me)) !== undefined };
          if (me.role !== "admin") throw new DomainError("permission_denied", "a token can only ask about itself");
          return { revoked: await auth.isRevoked(request.tokenId) };
        },
      };

      const standardUsers = standardMethods(UserServiceService, users, { singular: "User", plural: "Users" });
      const userHandlers: Handlers<typeof UserServiceService> = {
        ...standardUsers,
        createUser: async (request, ctx) => {
          checkPasswordRules("password", request.password);
          return users.create(request.user, ctx, { password_hash: await hashPassword(request.password) }, { keepAnswer: ctx.keepAnswer });
        },
        // A new role or a disabled account ends the user's tokens (user.resource.ts), and so does deleting them.
        updateUser: (request, ctx) => ending(standardUsers.updateUser(request, ctx)),
        deleteUser: (request, ctx) => ending(standardUsers.deleteUser(request, ctx)),
        setUserPassword: (request, ctx) => ending(setUserPassword(users, request.id, request.password, ctx)),
      };

      const standardKeys = standardMethods(ApiKeyServiceService, keys, { singular: "ApiKey", plural: "ApiKeys" });
      const keyHandlers: Handlers<typeof ApiKeyServiceService> = {
        getApiKey: async (request, ctx) => {
          const key = await keys.get(request.id);
          checkKeyOwner(key, caller(ctx));
          return key;
        },
        listApiKeys: (request, ctx) => {
          const me = caller(ctx);
          if (me.role === "admin") return standardKeys.listApiKeys(request, ctx);
          // Everyone else sees their own keys: their user id is ANDed in front of the filter.
          const own = `user_id = "${me.userId}"`;
          return standardKeys.listApiKeys({ ...request, filter: request.filter.trim() ? `${own} AND ${request.filter}` : own }, ctx);
        },
        createApiKey: (request, ctx) => createApiKey(keys, request, caller(ctx), ctx),
        revokeApiKey: (request, ctx) => ending(revokeApiKey(keys, request.id, caller(ctx), ctx)),
        deleteApiKey: async (request, ctx) => {
          checkKeyOwner(await keys.get(request.id), caller(ctx));
          return ending(standardKeys.deleteApiKey(request, ctx));
        },
      };

      host.serve(AuthServiceService, authHandlers);
      host.serve(UserServiceService, userHandlers);
      // A new key is shown once: with an idempotency key it is still made once, but never kept to show again.
      host.serve(ApiKeyServiceService, keyHandlers, { secretAnswers: ["createApiKey"] });
    },
  };
}
