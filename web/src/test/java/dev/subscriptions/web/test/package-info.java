/**
 * What every service's API tests share (published in the {@code web} test-jar): calling a
 * service with {@code RestTestClient} whatever it answers and reading its JSON and
 * problems.
 */
@NullMarked
package dev.subscriptions.web.test;

import org.jspecify.annotations.NullMarked;
