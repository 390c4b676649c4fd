/**
 * Customers: the aggregate, its repository, its use cases and the events it records.
 */
@NullMarked
package dev.subscriptions.customerservice.customer;

import org.jspecify.annotations.NullMarked;
