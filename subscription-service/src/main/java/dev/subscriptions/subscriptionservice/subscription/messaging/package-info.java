/**
 * The messaging edge of subscriptions: the domain's events to subscription.events, and
 * customer.events to the customer replica and the revocation of a deleted customer's
 * subscriptions.
 */
@NullMarked
package dev.subscriptions.subscriptionservice.subscription.messaging;

import org.jspecify.annotations.NullMarked;
