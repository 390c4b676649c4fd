package dev.subscriptions.subscriptionservice.subscription.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Currency;
import java.util.Locale;
import java.util.Optional;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.jspecify.annotations.Nullable;

/**
 * An ISO 4217 currency code in any case: {@code EUR}, or {@code usd} as Stripe writes it;
 * known to {@link java.util.Currency}. Null is valid (say {@code @NotNull} where it is
 * required).
 */
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = IsoCurrency.Validator.class)
@interface IsoCurrency {

	String message() default "must be an ISO 4217 currency code such as EUR or usd";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/**
	 * Checks a code with {@link #parse}, which also turns a valid one into its currency.
	 */
	class Validator implements ConstraintValidator<IsoCurrency, String> {

		/**
		 * The currency of {@code code}, in any case; none when {@link Currency} knows no
		 * such code.
		 */
		static Optional<Currency> parse(String code) {
			try {
				return Optional.of(Currency.getInstance(code.toUpperCase(Locale.ROOT)));
			}
			catch (IllegalArgumentException ex) {
				return Optional.empty();
			}
		}

		@Override
		public boolean isValid(@Nullable String value, ConstraintValidatorContext context) {
			return value == null || parse(value).isPresent();
		}

	}

}
