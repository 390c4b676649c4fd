/**
 * Consumer error handling: dead letters, in-flight records, the records no handler takes,
 * and the check that listeners handle every event type of their topics.
 */
@NullMarked
package dev.subscriptions.eventing.consumer;

import org.jspecify.annotations.NullMarked;
