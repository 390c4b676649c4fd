/**
 * Benefits: what a product gives its subscribers, and which products give which.
 */
@NullMarked
package dev.subscriptions.benefitservice.benefit;

import org.jspecify.annotations.NullMarked;
