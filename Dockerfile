# One image for both process roles: `server` (HTTP, webhooks, sockets, console) and `worker` (queues).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --include=dev && npm cache clean --force
COPY . .
RUN node scripts/ensure-client.mjs --force
# The attachments volume is mounted here; a new named volume takes this directory's owner.
RUN mkdir -p /files && chown node:node /files
EXPOSE 3000
USER node
ENTRYPOINT ["npx", "tsx", "server/main.ts"]
CMD ["server"]
