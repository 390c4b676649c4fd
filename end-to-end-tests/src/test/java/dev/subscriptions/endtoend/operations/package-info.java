/**
 * What operators rely on: the Prometheus configuration, alert rules and Grafana dashboard
 * under {@code deploy/} are valid, and every metric they use is one the running services
 * export.
 */
@NullMarked
package dev.subscriptions.endtoend.operations;

import org.jspecify.annotations.NullMarked;
