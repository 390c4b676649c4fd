/**
 * Subscriptions and invoices: the aggregate, its transitions and the use cases.
 */
@NullMarked
package dev.subscriptions.subscriptionservice.subscription;

import org.jspecify.annotations.NullMarked;
