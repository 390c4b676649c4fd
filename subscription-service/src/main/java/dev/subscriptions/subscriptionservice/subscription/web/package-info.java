/**
 * The subscriptions API over HTTP.
 */
@NullMarked
package dev.subscriptions.subscriptionservice.subscription.web;

import org.jspecify.annotations.NullMarked;
