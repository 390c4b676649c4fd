/**
 * The web edge every service shares: one advice that answers infrastructure errors and
 * bad requests as RFC 9457 problems.
 */
@NullMarked
package dev.subscriptions.web;

import org.jspecify.annotations.NullMarked;
