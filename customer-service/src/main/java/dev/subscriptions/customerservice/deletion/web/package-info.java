/**
 * The deletion receipt API.
 */
@NullMarked
package dev.subscriptions.customerservice.deletion.web;

import org.jspecify.annotations.NullMarked;
