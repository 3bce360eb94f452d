/** The platform-side steps to finish connecting a channel. */
export function SetupStepsList({ steps }: { steps: string[] }) {
  return (
    <ol className="setup-steps" data-testid="setup-steps">
      {steps.map((step, i) => (
        <li key={i}>{step}</li>
      ))}
    </ol>
  );
}
