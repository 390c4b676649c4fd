/**
 * The eventing tables' own Flyway history.
 */
@NullMarked
package dev.subscriptions.eventing.migration;

import org.jspecify.annotations.NullMarked;
