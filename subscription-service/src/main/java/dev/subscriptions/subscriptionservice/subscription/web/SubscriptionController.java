package dev.subscriptions.subscriptionservice.subscription.web;

import java.net.URI;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.subscriptions.subscriptionservice.subscription.Cancellation;
import dev.subscriptions.subscriptionservice.subscription.PauseMode;
import dev.subscriptions.subscriptionservice.subscription.Subscription;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionManagement;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionStatus;
import dev.subscriptions.web.security.Organization;

/**
 * The subscriptions API. Every transition is a POST on the subscription; refused
 * transitions answer 409 with the current status.
 * <p>
 * Each operation acts in the caller's {@link Organization} (from the bearer token): a
 * subscription of another organization is not found (404), a customer of another
 * organization is unknown (422), and lists show only the caller's subscriptions. The
 * scope each operation needs is {@code SubscriptionApiScopes}'s.
 */
@RestController
@RequestMapping("/subscriptions")
class SubscriptionController {

	private final SubscriptionManagement subscriptions;

	SubscriptionController(SubscriptionManagement subscriptions) {
		this.subscriptions = subscriptions;
	}

	/**
	 * The body of {@code POST /subscriptions}; the currency in any case ({@code usd}),
	 * answered upper case.
	 */
	record CreateSubscription(@NotNull @Nullable UUID customerId, @NotNull @Nullable UUID productId,
			@NotNull @PositiveOrZero @Max(1_000_000_000_000L) @Nullable Long amount,
			@NotNull @IsoCurrency @Nullable String currency, @Min(0) @Max(365) @Nullable Integer trialDays) {
	}

	/** The body of {@code POST /subscriptions/{id}/cancel}. */
	record Cancel(@Nullable Boolean immediately, @Size(max = Cancellation.MAX_REASON_LENGTH) @Nullable String reason,
			@Size(max = Cancellation.MAX_COMMENT_LENGTH) @Nullable String comment) {
	}

	/**
	 * The body of {@code POST /subscriptions/{id}/pause}: {@code void} (the default) or
	 * {@code free}.
	 */
	record Pause(@Nullable PauseMode mode) {
	}

	@PostMapping
	ResponseEntity<SubscriptionView> create(Organization organization, @Valid @RequestBody CreateSubscription request) {
		Currency currency = IsoCurrency.Validator.parse(required(request.currency())).orElseThrow();
		Subscription subscription = this.subscriptions.create(organization.id(), required(request.customerId()),
				required(request.productId()), required(request.amount()), currency,
				(request.trialDays() != null) ? request.trialDays() : 0);
		URI location = ServletUriComponentsBuilder.fromCurrentRequest()
			.path("/{id}")
			.buildAndExpand(subscription.getId())
			.toUri();
		return ResponseEntity.created(location).body(SubscriptionView.of(subscription));
	}

	@GetMapping("/{id}")
	SubscriptionView get(Organization organization, @PathVariable UUID id) {
		return SubscriptionView.of(this.subscriptions.get(organization.id(), id));
	}

	@GetMapping
	List<SubscriptionView> find(Organization organization, @RequestParam UUID customerId,
			@RequestParam(required = false) @Nullable SubscriptionStatus status) {
		return this.subscriptions.findByCustomer(organization.id(), customerId, status)
			.stream()
			.map(SubscriptionView::of)
			.toList();
	}

	@PostMapping("/{id}/cancel")
	SubscriptionView cancel(Organization organization, @PathVariable UUID id,
			@Valid @RequestBody(required = false) @Nullable Cancel request) {
		Cancel cancel = (request != null) ? request : new Cancel(false, null, null);
		Subscription canceled = Boolean.TRUE.equals(cancel.immediately())
				? this.subscriptions.cancelImmediately(organization.id(), id, cancel.reason(), cancel.comment())
				: this.subscriptions.cancelAtPeriodEnd(organization.id(), id, cancel.reason(), cancel.comment());
		return SubscriptionView.of(canceled);
	}

	@PostMapping("/{id}/uncancel")
	SubscriptionView uncancel(Organization organization, @PathVariable UUID id) {
		return SubscriptionView.of(this.subscriptions.uncancel(organization.id(), id));
	}

	@PostMapping("/{id}/pause")
	SubscriptionView pause(Organization organization, @PathVariable UUID id,
			@Valid @RequestBody(required = false) @Nullable Pause request) {
		PauseMode mode = (request != null && request.mode() != null) ? request.mode() : PauseMode.VOID;
		return SubscriptionView.of(this.subscriptions.pause(organization.id(), id, mode));
	}

	@PostMapping("/{id}/resume")
	SubscriptionView resume(Organization organization, @PathVariable UUID id) {
		return SubscriptionView.of(this.subscriptions.resume(organization.id(), id));
	}

	@PostMapping("/{id}/revoke")
	SubscriptionView revoke(Organization organization, @PathVariable UUID id) {
		return SubscriptionView.of(this.subscriptions.revoke(organization.id(), id));
	}

	/**
	 * The billing provider reports a failed payment: the subscription becomes past due
	 * with an open invoice.
	 */
	@PostMapping("/{id}/payment-failed")
	SubscriptionView paymentFailed(Organization organization, @PathVariable UUID id) {
		return SubscriptionView.of(this.subscriptions.paymentFailed(organization.id(), id));
	}

	/**
	 * The billing provider reports a payment: open invoices are paid, the subscription is
	 * active.
	 */
	@PostMapping("/{id}/payment-succeeded")
	SubscriptionView paymentSucceeded(Organization organization, @PathVariable UUID id) {
		return SubscriptionView.of(this.subscriptions.paymentSucceeded(organization.id(), id));
	}

	@GetMapping("/{id}/invoices")
	List<InvoiceView> invoices(Organization organization, @PathVariable UUID id) {
		return this.subscriptions.invoicesOf(organization.id(), id).stream().map(InvoiceView::of).toList();
	}

	/** A value that bean validation has checked to be there. */
	private static <T> T required(@Nullable T value) {
		return Objects.requireNonNull(value);
	}

}
