/**
 * The messaging edge of customers: their events in the Avro contract, through the outbox
 * to {@code customer.events}.
 */
@NullMarked
package dev.subscriptions.customerservice.customer.messaging;

import org.jspecify.annotations.NullMarked;
