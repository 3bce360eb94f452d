/** A 1-5 star rating as ★★★☆☆, read out as "3 out of 5 stars". */
export function Stars({ rating }: { rating: number }) {
  const n = Math.max(0, Math.min(5, Math.round(rating)));
  return (
    <span className="stars" role="img" aria-label={`${n} out of 5 stars`} title={`${n} out of 5 stars`} data-testid="stars" data-rating={n}>
      <span aria-hidden="true">{"★".repeat(n)}</span>
      <span aria-hidden="true" className="stars-empty">
        {"☆".repeat(5 - n)}
      </span>
    </span>
  );
}
