/**
 * The platform end to end: the three services as processes from their jars, driven by
 * REST (and the README's walkthrough by {@code bash}), checked by REST and by the records
 * on their topics.
 */
@NullMarked
package dev.subscriptions.endtoend;

import org.jspecify.annotations.NullMarked;
