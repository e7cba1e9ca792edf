/**
 * The story's transcript for a terminal: the Botpress side (end user, bot, what the plugin receives) on the left,
 * the LiveChat side (what the agent sees) on the right, long lines wrapped inside their column.
 */

export type TranscriptLine = { left?: string; right?: string }

export type Transcript = {
  header(): void
  step(index: number, title: string): void
  line(line: TranscriptLine): void
  note(text: string): void
}

const LEFT = 54
const RIGHT = 62

const wrap = (text: string, width: number): string[] =>
  // Blank lines (a title and its description) would only stretch the columns apart.
  text
    .split('\n')
    .filter((paragraph) => paragraph.trim() !== '')
    .flatMap((paragraph) => {
      const lines: string[] = []
      let current = ''
      for (const word of paragraph.split(' ')) {
        // A word longer than the column (a URL) is cut rather than pushing the other column out of place.
        for (let rest = word; rest.length > 0; rest = rest.slice(width)) {
          const piece = rest.slice(0, width)
          if (current && current.length + 1 + piece.length > width) {
            lines.push(current)
            current = piece
          } else {
            current = current ? `${current} ${piece}` : piece
          }
        }
      }
      lines.push(current)
      return lines
    })

export const createTranscript = (write: (text: string) => void): Transcript => ({
  header: () => {
    write(`${'BOTPRESS SIDE (end user · bot · HITL plugin)'.padEnd(LEFT)} │ LIVECHAT SIDE (what the agent sees)\n`)
    write(`${'─'.repeat(LEFT)}─┼─${'─'.repeat(RIGHT)}\n`)
  },
  step: (index, title) => {
    const label = `─ ${index}. ${title} `
    write(`${label.padEnd(LEFT, '─')}─┼─${'─'.repeat(RIGHT)}\n`)
  },
  line: ({ left = '', right = '' }) => {
    const l = wrap(left, LEFT)
    const r = wrap(right, RIGHT)
    for (let i = 0; i < Math.max(l.length, r.length); i++) {
      write(`${(l[i] ?? '').padEnd(LEFT)} │ ${r[i] ?? ''}`.trimEnd().concat('\n'))
    }
  },
  note: (text) => write(`${text}\n`),
})
