/**
 * The Avro contract of every topic: which event types each
 * {@link dev.subscriptions.schemas.Topic} carries, the gate that keeps them compatible
 * with their published versions, and the revocation report every service answers a
 * deletion with.
 */
@NullMarked
package dev.subscriptions.schemas;

import org.jspecify.annotations.NullMarked;
