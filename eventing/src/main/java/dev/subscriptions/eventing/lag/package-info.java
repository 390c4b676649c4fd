/**
 * Committed-offset lag of the service's consumer groups, in records and seconds, the time
 * of their last commit and the records of their dead-letter topics, measured with the
 * Kafka Admin client on a thread of its own.
 */
@NullMarked
package dev.subscriptions.eventing.lag;

import org.jspecify.annotations.NullMarked;
