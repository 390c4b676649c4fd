/**
 * benefit-service: benefits, which products grant them, and the grants that say what a
 * customer may use now. Its modules are {@code benefit} and {@code grant} (which follows
 * {@code benefit}, never the other way round).
 */
@NullMarked
package dev.subscriptions.benefitservice;

import org.jspecify.annotations.NullMarked;
