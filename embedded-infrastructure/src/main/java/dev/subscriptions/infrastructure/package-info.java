/**
 * Real infrastructure for tests and the local stack, without Docker: a Kafka broker
 * (KRaft), PostgreSQL 17 and Apicurio Registry, in-process or as processes of their own,
 * and the services as processes from their jars.
 */
@NullMarked
package dev.subscriptions.infrastructure;

import org.jspecify.annotations.NullMarked;
