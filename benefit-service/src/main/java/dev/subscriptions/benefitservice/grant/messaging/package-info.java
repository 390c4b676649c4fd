/**
 * The Kafka edge of grants: subscription and customer records in, mapped to domain
 * values; revocation reports out.
 */
@NullMarked
package dev.subscriptions.benefitservice.grant.messaging;

import org.jspecify.annotations.NullMarked;
