/**
 * subscription-service: subscriptions and invoices, and the end of those of deleted
 * customers.
 */
@NullMarked
package dev.subscriptions.subscriptionservice;

import org.jspecify.annotations.NullMarked;
