/** A horizontal bar chart in plain SVG: no chart library, no CDN, readable at any size. */
export function BarChart({ data, color = '#1677ff', testId }: { data: { label: string; value: number }[]; color?: string; testId?: string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const row = 26;
  const labelWidth = 130;
  const width = 460;
  return (
    <svg viewBox={`0 0 ${width} ${Math.max(row, data.length * row)}`} width="100%" role="img" data-testid={testId} style={{ maxHeight: data.length * row + 10 }}>
      {data.map((d, i) => {
        const w = ((width - labelWidth - 40) * d.value) / max;
        return (
          <g key={d.label} transform={`translate(0, ${i * row})`} data-label={d.label} data-value={d.value}>
            <text x={labelWidth - 6} y={row / 2 + 4} textAnchor="end" fontSize="12" fill="#555">
              {d.label}
            </text>
            <rect x={labelWidth} y={4} width={Math.max(w, 1)} height={row - 8} fill={color} rx={2} />
            <text x={labelWidth + w + 4} y={row / 2 + 4} fontSize="12" fill="#333">
              {d.value}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
