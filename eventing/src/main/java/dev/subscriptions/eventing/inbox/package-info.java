/**
 * The inbox of idempotent consumers and its retention.
 */
@NullMarked
package dev.subscriptions.eventing.inbox;

import org.jspecify.annotations.NullMarked;
