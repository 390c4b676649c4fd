/**
 * The benchmark against a running local stack: idle propagation, bulk deletion, the
 * outbox relay and bulk revocation, each against a raw baseline in the same run.
 */
@NullMarked
package dev.subscriptions.benchmark;

import org.jspecify.annotations.NullMarked;
