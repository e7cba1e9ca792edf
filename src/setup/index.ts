export { register } from './register'
export { unregister } from './unregister'
