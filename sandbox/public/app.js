// The sandbox console. No build step: one module, plain DOM. The server pushes `changed` over SSE and the page
// refetches /api/state; when the stream is down it polls every second instead.

const $ = (id) => document.getElementById(id)

const view = { state: undefined, selectedChatId: undefined, pinnedChat: false, events: [], streamOpen: false }

const STATUS_LABELS = {
  bot: 'with the bot',
  waiting: 'waiting for an agent',
  assigned: 'with an agent',
  ended: 'session ended',
}

/** Builds an element; text always goes through textContent, so nothing from a message is ever parsed as HTML. */
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue
    if (key === 'text') node.textContent = value
    else if (key === 'className') node.className = value
    else if (key.startsWith('data') || key.startsWith('aria') || key === 'role') node.setAttribute(toAttr(key), value)
    else node[key] = value
  }
  for (const child of children) if (child) node.append(child)
  return node
}
const toAttr = (key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

const time = (iso) =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })

/**
 * A transcript follows new messages unless the reader scrolled up. Images load after the render and grow the list,
 * so a load inside it scrolls down again (load does not bubble: listen in the capture phase).
 */
const following = new WeakMap()
const follow = (list) => {
  list.addEventListener('scroll', () => {
    following.set(list, list.scrollHeight - list.scrollTop - list.clientHeight < 40)
  })
  list.addEventListener('load', () => scrollDown(list), true)
}
const scrollDown = (list) => {
  if (following.get(list) !== false) list.scrollTop = list.scrollHeight
}
const initials = (name) =>
  name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase()

/** Initials under the picture: the seeded avatars live on a CDN the sandbox cannot reach offline. */
const avatar = (name, pictureUrl) => {
  const node = el('span', { className: 'avatar', ariaHidden: 'true', text: initials(name) })
  if (pictureUrl) {
    const img = el('img', { src: pictureUrl, alt: '' })
    img.addEventListener('error', () => img.remove())
    node.append(img)
  }
  return node
}

const fileNode = (file, testId) => {
  const link = el('a', { href: file.url, target: '_blank', rel: 'noopener', text: file.name, dataTestid: testId })
  if (!(file.kind === 'image' || file.contentType?.startsWith('image/'))) return el('div', { className: 'file' }, link)
  const preview = el('a', { href: file.url, target: '_blank', rel: 'noopener', className: 'preview' })
  preview.append(el('img', { src: file.url, alt: file.name }))
  return el('div', { className: 'file' }, preview, link)
}

const toast = (message) => {
  const node = $('toast')
  node.textContent = message
  node.hidden = false
  clearTimeout(toast.timer)
  toast.timer = setTimeout(() => {
    node.hidden = true
  }, 5000)
}

const api = async (path, body) => {
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const answer = await res.json().catch(() => ({}))
  if (!res.ok) throw new Error(answer.error ?? `HTTP ${res.status}`)
  return answer
}

/** Runs a click or submit: disables the control meanwhile, shows failures, refreshes after. */
const act = async (control, run) => {
  control.disabled = true
  try {
    await run()
  } catch (err) {
    toast(err.message)
  } finally {
    control.disabled = false
    await refresh()
  }
}

// ----- end user pane ----------------------------------------------------------------------------------------------

const renderUser = (user) => {
  const status = $('session-status')
  status.dataset.status = user.status
  status.textContent = user.status === 'assigned' ? `with ${user.agentName}` : STATUS_LABELS[user.status]
  if (user.status === 'ended' && user.endedBy) status.textContent += user.endedBy === 'agent' ? ' by the agent' : ''

  const name = $('user-name')
  const email = $('user-email')
  if (document.activeElement !== name && !name.dataset.touched) name.value = user.profile.name
  if (document.activeElement !== email && !email.dataset.touched) email.value = user.profile.email
  // The profile is sent with the first "Talk to a human"; createUser is not called again after that.
  $('profile').disabled = Boolean(user.botpressUserId)

  const live = user.status === 'waiting' || user.status === 'assigned'
  $('rating').hidden = !user.canRate
  $('escalate').disabled = live
  $('end-session').disabled = !live
  $('user-text').placeholder = live ? 'Message the agent…' : 'Message the bot…'

  const list = $('user-timeline')
  list.replaceChildren(
    ...user.timeline.map((entry) => {
      const item = el('li', { className: `entry from-${entry.from}`, dataTestid: `user-entry-${entry.from}` })
      if (entry.from === 'system') {
        item.append(el('span', { className: 'notice', text: entry.text, dataTestid: 'user-notice' }))
        return item
      }
      const who = entry.from === 'agent' ? entry.agent.name : entry.from === 'user' ? user.profile.name : 'Bot'
      if (entry.from === 'agent') item.append(avatar(who, entry.agent.pictureUrl))
      const bubble = el(
        'div',
        { className: 'bubble' },
        el('span', { className: 'who', text: who, dataTestid: entry.from === 'agent' ? 'agent-name' : undefined }),
        entry.text ? el('p', { text: entry.text }) : undefined,
        // The end user's own attachments and the agent's files are told apart (tests look for the agent's).
        entry.file
          ? fileNode(entry.file, entry.from === 'agent' ? 'user-file-link' : 'user-sent-file-link')
          : undefined,
        el('time', { dateTime: entry.at, text: time(entry.at) })
      )
      item.append(bubble)
      return item
    })
  )
  scrollDown(list)
}

// ----- agent pane -------------------------------------------------------------------------------------------------

const currentAgent = () => $('agent-select').value

const renderAgents = (agents) => {
  const select = $('agent-select')
  if (select.options.length === 0) {
    for (const agent of agents) select.append(el('option', { value: agent.id, text: agent.name }))
  }
  const status = $('agent-status')
  const me = agents.find((agent) => agent.id === currentAgent())
  if (me && document.activeElement !== status) status.value = me.routingStatus
  const target = $('transfer-target')
  const previous = target.value
  target.replaceChildren(
    ...agents
      .filter((agent) => agent.id !== currentAgent())
      .map((agent) => el('option', { value: agent.id, text: agent.name }))
  )
  if ([...target.options].some((option) => option.value === previous)) target.value = previous
}

const selectedChat = () => view.state?.desk.chats.find((chat) => chat.id === view.selectedChatId)

const renderChats = (desk, user) => {
  // Follow the end user's chat until a chat is picked by hand.
  if (!view.pinnedChat || !desk.chats.some((chat) => chat.id === view.selectedChatId)) {
    view.selectedChatId = user.livechatChatId ?? desk.chats[0]?.id
  }
  $('chat-list').replaceChildren(
    ...desk.chats.map((chat) => {
      const last = [...chat.events].reverse().find((event) => event.kind !== 'other')
      const button = el(
        'button',
        {
          type: 'button',
          className: 'chat-item',
          ariaCurrent: chat.id === view.selectedChatId ? 'true' : undefined,
          dataTestid: 'chat-item',
          dataChatId: chat.id,
        },
        el('span', { className: 'chat-customer', text: chat.customer.name }),
        el('span', {
          className: `pill ${chat.active ? 'ok' : 'muted'}`,
          text: chat.active ? 'active' : 'closed',
          dataTestid: 'chat-status',
        }),
        el('span', { className: 'chat-last', text: last ? (last.text ?? last.file?.name ?? '') : '' })
      )
      button.addEventListener('click', () => {
        view.selectedChatId = chat.id
        view.pinnedChat = true
        render()
      })
      return el('li', {}, button)
    })
  )
}

/** What the Agent App shows beside a chat: the customer's session fields, the thread's tags and its rating. */
const renderDetails = (chat) => {
  const details = $('chat-details')
  const row = (term, value, testId) => [el('dt', { text: term }), el('dd', { text: value, dataTestid: testId })]
  const rating = chat.rating
    ? `${chat.rating.score === 'good' ? '👍 good' : '👎 bad'}${chat.rating.comment ? `: “${chat.rating.comment}”` : ''}`
    : 'not rated'
  details.replaceChildren(
    ...chat.sessionFields.flatMap((field) => row(field.key, field.value, 'session-field')),
    ...row('tags', chat.tags.join(', ') || 'none', 'chat-tags'),
    ...row('rating', rating, 'chat-rating')
  )
  details.hidden = false
}

const renderTranscript = () => {
  const chat = selectedChat()
  const header = $('chat-header')
  const list = $('agent-transcript')
  for (const id of ['agent-text', 'agent-send-file', 'agent-transfer', 'agent-close']) $(id).disabled = !chat?.active
  if (!chat) {
    header.textContent = 'No chat yet: press “Talk to a human”.'
    $('chat-details').hidden = true
    list.replaceChildren()
    return
  }
  const agents = chat.agents.map((agent) => agent.name).join(', ') || 'nobody yet'
  header.replaceChildren(
    el('strong', { text: chat.customer.name }),
    el('span', { text: chat.customer.email ? ` <${chat.customer.email}>` : '' }),
    el('span', { className: `pill ${chat.active ? 'ok' : 'muted'}`, text: chat.active ? 'active' : 'closed' }),
    el('span', { className: 'meta', text: `${chat.groups.join(', ')} · agents: ${agents} · chat ${chat.id}` })
  )
  renderDetails(chat)
  let thread
  const items = []
  for (const event of chat.events) {
    if (event.threadId !== thread) {
      if (thread !== undefined) items.push(el('li', { className: 'thread-break', text: 'new thread' }))
      thread = event.threadId
    }
    const item = el('li', { className: `entry from-${event.author}`, dataTestid: `agent-entry-${event.author}` })
    if (event.author === 'system') {
      item.append(el('span', { className: 'notice', text: event.text }))
    } else {
      item.append(
        el(
          'div',
          { className: 'bubble' },
          el('span', { className: 'who', text: event.authorName }),
          event.text ? el('p', { text: event.text }) : undefined,
          event.file ? fileNode(event.file, 'agent-file-link') : undefined,
          el('time', { dateTime: event.at, text: time(event.at) })
        )
      )
    }
    items.push(item)
  }
  list.replaceChildren(...items)
  scrollDown(list)
}

// ----- events panel -----------------------------------------------------------------------------------------------

const renderEvents = () => {
  const hitlOnly = $('hitl-only').checked
  // Botpress records are polled, so they can arrive after later LiveChat ones: order by time, then arrival.
  const shown = view.events
    .filter((item) => !hitlOnly || item.kind === 'hitl')
    .sort((a, b) => a.at.localeCompare(b.at) || a.seq - b.seq)
    .slice(-400)
  $('events').replaceChildren(
    ...shown.reverse().map((item) => {
      const ok = item.status === undefined || (item.status >= 200 && item.status < 300)
      return el(
        'li',
        { className: `event kind-${item.kind}`, dataTestid: 'event-item', dataKind: item.kind, dataTitle: item.title },
        el('time', { dateTime: item.at, text: time(item.at) }),
        el('span', { className: 'route', text: `${item.from} → ${item.to}` }),
        el('span', { className: 'title', text: item.title }),
        item.status === undefined
          ? el('span')
          : el('span', { className: `pill ${ok ? 'ok' : 'bad'}`, text: String(item.status) }),
        el('span', { className: 'detail', text: item.detail ?? '' })
      )
    })
  )
}

// ----- wiring -----------------------------------------------------------------------------------------------------

const render = () => {
  if (!view.state) return
  renderUser(view.state.user)
  renderAgents(view.state.desk.agents)
  renderChats(view.state.desk, view.state.user)
  renderTranscript()
}

const refresh = async () => {
  try {
    view.state = await api('/api/state')
    render()
  } catch (err) {
    $('connection').textContent = `offline: ${err.message}`
  }
}

const connect = () => {
  const source = new EventSource('/api/events')
  source.addEventListener('open', () => {
    view.streamOpen = true
    view.events = []
    $('connection').textContent = 'live'
    $('connection').dataset.state = 'live'
    refresh()
  })
  source.addEventListener('error', () => {
    view.streamOpen = false
    $('connection').textContent = 'reconnecting…'
    $('connection').dataset.state = 'down'
  })
  source.addEventListener('activity', (message) => {
    view.events.push(JSON.parse(message.data))
    clearTimeout(connect.eventsTimer)
    connect.eventsTimer = setTimeout(renderEvents, 50)
  })
  source.addEventListener('changed', () => refresh())
}

const withChat = (run) => async () => {
  const chat = selectedChat()
  if (!chat) throw new Error('Pick a chat first')
  await run(chat)
}

const agentCall = (verb, body) => api(`/api/agent/${encodeURIComponent(currentAgent())}/${verb}`, body)

const readBase64 = (file) =>
  new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.addEventListener('load', () => resolve(String(reader.result).split(',')[1] ?? ''))
    reader.addEventListener('error', () => reject(new Error(`Could not read ${file.name}`)))
    reader.readAsDataURL(file)
  })

follow($('user-timeline'))
follow($('agent-transcript'))

for (const input of [$('user-name'), $('user-email')]) {
  input.addEventListener('input', () => {
    input.dataset.touched = 'true'
  })
}

// What was typed or chosen while a send was on its way is the next thing to send: clear only what was just sent.
const clearIfUnchanged = (input, sent) => {
  if (input.value.trim() === sent) input.value = ''
}
const clearFileIfUnchanged = (input, sent) => {
  if (input.files[0] === sent) input.value = ''
}

$('user-form').addEventListener('submit', (event) => {
  event.preventDefault()
  const input = $('user-text')
  const text = input.value.trim()
  if (!text) return
  act(event.submitter ?? input, async () => {
    await api('/api/user/message', { text })
    clearIfUnchanged(input, text)
  })
})

$('user-send-file').addEventListener('click', (event) =>
  act(event.currentTarget, async () => {
    const input = $('user-file')
    const file = input.files[0]
    if (!file) throw new Error('Choose a file first')
    const base64 = await readBase64(file)
    await api('/api/user/file', { name: file.name, contentType: file.type || 'application/octet-stream', base64 })
    clearFileIfUnchanged(input, file)
  })
)

$('escalate').addEventListener('click', (event) =>
  act(event.currentTarget, () =>
    api('/api/user/start', { name: $('user-name').value, email: $('user-email').value, title: 'Talk to a human' })
  )
)

$('end-session').addEventListener('click', (event) => act(event.currentTarget, () => api('/api/user/end', {})))

for (const score of ['good', 'bad']) {
  $(`rate-${score}`).addEventListener('click', (event) =>
    act(event.currentTarget, () => api('/api/user/rate', { score }))
  )
}

$('agent-status').addEventListener('change', (event) => {
  const control = event.currentTarget
  act(control, () => agentCall('routing-status', { status: control.value }))
})

$('agent-form').addEventListener('submit', (event) => {
  event.preventDefault()
  const input = $('agent-text')
  const text = input.value.trim()
  if (!text) return
  act(
    event.submitter ?? input,
    withChat(async (chat) => {
      await agentCall('messages', { chatId: chat.id, text })
      clearIfUnchanged(input, text)
    })
  )
})

$('agent-send-file').addEventListener('click', (event) =>
  act(
    event.currentTarget,
    withChat(async (chat) => {
      const input = $('agent-file')
      const file = input.files[0]
      if (!file) throw new Error('Choose a file first')
      const base64 = await readBase64(file)
      await agentCall('files', {
        chatId: chat.id,
        name: file.name,
        contentType: file.type || 'application/octet-stream',
        base64,
      })
      clearFileIfUnchanged(input, file)
    })
  )
)

$('agent-transfer').addEventListener('click', (event) =>
  act(
    event.currentTarget,
    withChat((chat) =>
      agentCall('transfer', { chatId: chat.id, type: 'agent', ids: [$('transfer-target').value] }).then(() => {
        // The chat now belongs to the other agent: sign in as them, as the next step usually is theirs.
        $('agent-select').value = $('transfer-target').value
      })
    )
  )
)

$('agent-close').addEventListener('click', (event) =>
  act(
    event.currentTarget,
    withChat((chat) => agentCall('close', { chatId: chat.id }))
  )
)

$('agent-select').addEventListener('change', () => render())
$('hitl-only').addEventListener('change', () => renderEvents())

$('play-story').addEventListener('click', (event) =>
  act(event.currentTarget, async () => {
    toast('Playing the scripted story; the transcript prints in the terminal…')
    const report = await api('/api/story', {})
    toast(report.ok ? 'Story complete: every step was seen.' : 'The story did not complete: see the terminal.')
  })
)

// Polling stands in while the event stream is down.
setInterval(() => {
  if (!view.streamOpen) refresh()
}, 1000)

connect()
refresh()
