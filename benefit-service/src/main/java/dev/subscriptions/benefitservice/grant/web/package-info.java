/**
 * The HTTP API of grants and entitlements.
 */
@NullMarked
package dev.subscriptions.benefitservice.grant.web;

import org.jspecify.annotations.NullMarked;
