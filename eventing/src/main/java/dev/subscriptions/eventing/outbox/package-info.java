/**
 * The transactional outbox, its relay to Kafka, and the rows it parks.
 */
@NullMarked
package dev.subscriptions.eventing.outbox;

import org.jspecify.annotations.NullMarked;
