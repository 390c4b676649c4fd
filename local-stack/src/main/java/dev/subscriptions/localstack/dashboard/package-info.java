/**
 * The dashboard page of the local stack: the Grafana dashboard's panels drawn with uPlot
 * from Prometheus, served by the JDK's HTTP server.
 */
@NullMarked
package dev.subscriptions.localstack.dashboard;

import org.jspecify.annotations.NullMarked;
