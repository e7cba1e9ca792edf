import { sendMessage } from './send-message'
import * as bp from '.botpress'

/** Every message type of the channel (`messages.defaults`) has a handler, so nothing is dropped. */
export const channels = {
  hitl: {
    messages: {
      text: (props) => sendMessage(props, { type: 'text', payload: props.payload }),
      markdown: (props) => sendMessage(props, { type: 'markdown', payload: props.payload }),
      image: (props) => sendMessage(props, { type: 'image', payload: props.payload }),
      audio: (props) => sendMessage(props, { type: 'audio', payload: props.payload }),
      video: (props) => sendMessage(props, { type: 'video', payload: props.payload }),
      file: (props) => sendMessage(props, { type: 'file', payload: props.payload }),
      location: (props) => sendMessage(props, { type: 'location', payload: props.payload }),
      carousel: (props) => sendMessage(props, { type: 'carousel', payload: props.payload }),
      card: (props) => sendMessage(props, { type: 'card', payload: props.payload }),
      dropdown: (props) => sendMessage(props, { type: 'dropdown', payload: props.payload }),
      choice: (props) => sendMessage(props, { type: 'choice', payload: props.payload }),
      bloc: (props) => sendMessage(props, { type: 'bloc', payload: props.payload }),
    },
  },
} satisfies bp.IntegrationProps['channels']
