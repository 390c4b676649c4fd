/**
 * Avro in Confluent's wire format, and the schema registry client.
 */
@NullMarked
package dev.subscriptions.eventing.serde;

import org.jspecify.annotations.NullMarked;
