/**
 * The customers API and its problems.
 */
@NullMarked
package dev.subscriptions.customerservice.customer.web;

import org.jspecify.annotations.NullMarked;
