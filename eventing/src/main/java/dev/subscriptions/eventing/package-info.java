/**
 * Messaging infrastructure shared by the services: auto-configuration, settings and the
 * Kafka consumer defaults.
 */
@NullMarked
package dev.subscriptions.eventing;

import org.jspecify.annotations.NullMarked;
