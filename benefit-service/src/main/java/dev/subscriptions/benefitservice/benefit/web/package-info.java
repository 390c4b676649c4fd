/**
 * The HTTP API of benefits and of the product mapping.
 */
@NullMarked
package dev.subscriptions.benefitservice.benefit.web;

import org.jspecify.annotations.NullMarked;
