/**
 * This service's replica of customers, from customer.events (a module that depends on no
 * other).
 */
@NullMarked
package dev.subscriptions.subscriptionservice.customer;

import org.jspecify.annotations.NullMarked;
