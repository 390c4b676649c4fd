/**
 * Registration of the published schemas at start-up.
 */
@NullMarked
package dev.subscriptions.eventing.registration;

import org.jspecify.annotations.NullMarked;
