/**
 * customer-service: owns customers and tells the platform when one is created or deleted.
 * Its application modules are {@code customer} and {@code deletion}.
 */
@NullMarked
package dev.subscriptions.customerservice;

import org.jspecify.annotations.NullMarked;
