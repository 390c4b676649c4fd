/**
 * What the tests of every module share for the platform's topics (published in the
 * {@code eventing} test-jar): writing records as the services' outboxes do and reading
 * them back decoded.
 */
@NullMarked
package dev.subscriptions.eventing.test;

import org.jspecify.annotations.NullMarked;
