package io.dmap.planner.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token that matched a configured API key. */
final class ApiKeyRequest extends BaseAuthenticationRequest {

    private final ApiKeys.Caller caller;

    ApiKeyRequest(ApiKeys.Caller caller) {
        this.caller = caller;
    }

    ApiKeys.Caller caller() {
        return caller;
    }
}
