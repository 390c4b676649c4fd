/**
 * The local stack's OAuth2 authorization server (Spring Authorization Server), which the
 * services trust exactly as they would trust Keycloak, and the client that mints its
 * tokens for the walkthrough, the end-to-end tests and the benchmark.
 */
@NullMarked
package dev.subscriptions.localstack.auth;

import org.jspecify.annotations.NullMarked;
