/**
 * The fault-injection run: every part of the platform as a process of its own, faults
 * struck at points drawn from a seed, and a checker of the invariants afterwards.
 */
@NullMarked
package dev.subscriptions.faults;

import org.jspecify.annotations.NullMarked;
