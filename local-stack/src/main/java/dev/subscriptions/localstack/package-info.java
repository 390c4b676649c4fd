/**
 * The local stack: infrastructure in-process, the services as child processes, and the
 * operator's commands (tail a topic, replay dead letters).
 */
@NullMarked
package dev.subscriptions.localstack;

import org.jspecify.annotations.NullMarked;
