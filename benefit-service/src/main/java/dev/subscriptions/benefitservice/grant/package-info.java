/**
 * Grants: a customer's access to a benefit through a subscription, following the
 * subscription's changes
 * ({@link dev.subscriptions.benefitservice.grant.SubscriptionChange}), the deletion of
 * its customer and of its benefit.
 */
@NullMarked
package dev.subscriptions.benefitservice.grant;

import org.jspecify.annotations.NullMarked;
